// kitsu with its defaults against a real hexstudio service: create, list, follow links.next,
// update without a version, delete. Prints what it saw as JSON; test_kitsu.py judges it.
// Usage: node kitsu.mjs <base URL of /api> <write token> <release year to tag the movies>
import Kitsu from "kitsu";

const [baseURL, token, year] = process.argv.slice(2);
const api = new Kitsu({ baseURL, headers: { Authorization: `Bearer ${token}` } });
const report = { created: [], pages: [], seen: [] };

for (const n of [1, 2, 3]) {
  const answer = await api.post("movies", {
    title: `Kitsu ${year} ${n}`,
    genres: ["drama"],
    release_year: Number(year),
  });
  report.created.push({ status: answer.status, id: answer.data.id, location: answer.headers.location });
}

// The first page by kitsu's own query building, every next page by its link as given.
let page = await api.get("movies", { params: { filter: { release_year: year }, page: { size: 2 } } });
for (;;) {
  report.pages.push({ status: page.status, next: page.links.next ?? null });
  report.seen.push(...page.data.map((movie) => movie.id));
  if (!page.links.next) break;
  page = await api.request({ url: page.links.next });
}

const id = report.created[0].id;
const updated = await api.patch("movies", { id, title: `Kitsu ${year} renamed` });
report.updated = {
  status: updated.status,
  title: updated.data.title,
  genres: updated.data.genres,
  version: updated.data.meta.version,
  etag: updated.headers.etag,
};

const removed = await api.delete("movies", id);
report.deleted = { status: removed.status };
try {
  await api.get(`movies/${id}`);
  report.gone = { status: 200 };
} catch (error) {
  report.gone = { status: error.response?.status ?? null, code: error.errors?.[0]?.code ?? null };
}

console.log(JSON.stringify(report));
