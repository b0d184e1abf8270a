"""The product catalog (商品目录): its data model, the demo data and the importer for a shop's own catalog."""
