"""Queries: the named library of `.rq` files with their headers (library), parameters bound as
RDF terms (binding), and results written in registered output formats (formats)."""

from jixiao.queries.binding import FISCAL_YEAR_RANGE, PARAM_TYPES, Parameter, bind, is_absolute_iri
from jixiao.queries.formats import FORMATS, page, plain_rows, plain_value, write, write_boolean, write_triples
from jixiao.queries.library import NamedQuery, library, listing, load_query, run

__all__ = ["FISCAL_YEAR_RANGE", "FORMATS", "PARAM_TYPES", "NamedQuery", "Parameter", "bind", "is_absolute_iri", "library", "listing", "load_query",
           "page", "plain_rows", "plain_value", "run", "write", "write_boolean", "write_triples"]
