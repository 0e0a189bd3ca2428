"""Publishing the graph as linked open data: `jixiao serve` (a SPARQL endpoint, pages, dereferenceable
IRIs) and `jixiao publish` (the same pages as a static site, dumps, VoID/DCAT, ontology docs).

Everything reads the data through the `QueryBackend` protocol, in worker processes with a time
limit and a result limit (workers.py), and asks only the page queries of `queries/pages/`.
"""

from jixiao.publish.dataset import Dataset, Refused, endpoint_form
from jixiao.publish.workers import Answer, Limits, QueryFailed, QueryTimeout, ServerBusy, Source, WorkerPool

__all__ = ["Answer", "Dataset", "Limits", "QueryFailed", "QueryTimeout", "Refused", "ServerBusy", "Source", "WorkerPool", "endpoint_form"]
