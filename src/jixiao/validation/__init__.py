"""Validation: typed data split per project (partition), checked by pyshacl against the shapes
in shapes/ (run), the reports read into plain results (report) and written as text, JSON or
Turtle (render)."""

from jixiao.validation.partition import DEFAULT_BATCH, partition
from jixiao.validation.render import RENDERERS, render
from jixiao.validation.report import Report, Result
from jixiao.validation.run import run_pyshacl, validate_graph, validate_paths, whole_graph
from jixiao.validation.shapes import shape_files, shapes_graph

__all__ = ["DEFAULT_BATCH", "RENDERERS", "Report", "Result", "partition", "render", "run_pyshacl", "shape_files",
           "shapes_graph", "validate_graph", "validate_paths", "whole_graph"]
