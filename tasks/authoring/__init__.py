"""Authoring tools: they generate the committed task folders of the built-in suites.

Run at authoring time only (`python -m tasks.authoring.coding`, `python -m tasks.authoring.documents`);
a run of pertask never imports them. The generated files are committed, so a suite
is fixed content, hashed into every run manifest.
"""
