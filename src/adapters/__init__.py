"""Driven adapters: one sub-package per kind of data source, each implementing domain's ports."""
