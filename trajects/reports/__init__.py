"""The figures of the dashboards and of the project manager's report (`figures`, `dashboards`),
laid out as sections (`sections`), drawn as SVG charts (`charts`) and written as CSV or XLSX
(`exports`)."""
