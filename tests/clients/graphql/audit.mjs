// graphql-http's own server audit (the GraphQL over HTTP spec's checks) against one endpoint.
// Usage: node audit.mjs URL. Prints one JSON array of {id, name, status, reason}; test_audit.py
// reads it. Exits non-zero only when the audit itself could not run.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}
const results = await auditServer({ url });
const report = results.map(({ id, name, status, reason }) => ({
  id,
  name,
  status,
  reason: reason ?? null,
}));
console.log(JSON.stringify(report));
