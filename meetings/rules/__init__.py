"""Read-only rules of the domain: what a meeting still lacks, what to warn about, how it is
graded. Services enforce them, selectors and pages show them.

Rules read models, the workflow, the periods and the settings; they never import services,
selectors or views, so a read never depends on a write.
"""
