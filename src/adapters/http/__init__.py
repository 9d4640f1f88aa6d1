"""What the HTTP data sources share: options, the pooled retrying client, body decoding."""

from adapters.http.client import HttpClient
from adapters.http.decoding import decode
from adapters.http.options import HttpOptions, parse_http_options

__all__ = ["HttpClient", "HttpOptions", "decode", "parse_http_options"]
