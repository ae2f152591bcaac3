"""Views: drawing only. Each view draws into a caller's matplotlib Axes (``ax=None``
makes its own figure) and has a static fallback for scripts, nbval and HTML export.

Import the view modules you need (e.g. ``course_lib.views.training``); this
package imports nothing heavy.
"""
