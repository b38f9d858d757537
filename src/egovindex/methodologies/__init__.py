"""Methodologies: index definitions handed to the composite engine as data.

``egovindex.methodologies.un`` holds every UN E-Government Survey edition;
``egovindex.domestic`` the national frameworks.
"""
