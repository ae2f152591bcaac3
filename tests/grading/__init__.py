"""Tests of course_lib.grading."""
