"""Datasets Rathaus generates from its own data. Importing this package registers the shipped generators."""

from . import service_catalogue
from .base import DatasetGenerator, GeneratedDataset, GeneratedFile
from .registry import generator, generators, register

__all__ = [
    "DatasetGenerator",
    "GeneratedDataset",
    "GeneratedFile",
    "generator",
    "generators",
    "register",
    "service_catalogue",
]
