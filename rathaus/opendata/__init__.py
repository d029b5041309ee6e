"""Open data portal: datasets per municipality, the CKAN Action API and a DCAT-AP.de catalogue for GovData."""
