"""Pages generated when the site is built (mkdocs-gen-files): the configuration reference,
from the parameter classes and the shipped YAML (:mod:`sim.config.reference`)."""
import mkdocs_gen_files

from sim.config.reference import markdown

with mkdocs_gen_files.open("reference/configuration.md", "w") as page:
    page.write(markdown())
mkdocs_gen_files.set_edit_path("reference/configuration.md", "../sim/config/reference.py")
