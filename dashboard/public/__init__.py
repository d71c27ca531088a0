"""What the public audience sees: small-cell suppression (``suppress``), every cell published for a
province and year from one function (``cells``), the open-data bundle (``export``) and the static site."""
