"""Open311 GeoReport v2 at /open311/v2/: discovery, services, service definitions, requests (GET and POST),
single requests and tokens, each as .json and .xml, with the standard's error format.

Specification: http://wiki.open311.org/GeoReport_v2 (field names, parameters and errors follow it exactly).
"""
