"""Reads the dashboards show, one module per dashboard. Each figure is computed in the
database with aggregates (one statement per panel), so a page makes the same few queries
however many families there are; each figure that names families has a ``*_households``
twin giving the families behind it, for the drill-down."""
