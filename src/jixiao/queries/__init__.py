"""Queries: the named library of `.rq` files with their headers (library), parameters bound as
RDF terms (binding), and results written in registered output formats (formats)."""

from jixiao.queries.binding import PARAM_TYPES, Parameter, bind, is_absolute_iri
from jixiao.queries.formats import FORMATS, plain_rows, plain_value, write
from jixiao.queries.library import NamedQuery, library, listing, load_query, run

__all__ = ["FORMATS", "PARAM_TYPES", "NamedQuery", "Parameter", "bind", "is_absolute_iri", "library", "listing", "load_query",
           "plain_rows", "plain_value", "run", "write"]
