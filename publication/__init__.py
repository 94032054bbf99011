"""What the platform publishes: publication windows of penalties (公示期限) and, in time, credit
repair, published lists, the 双公示 export and credit reports (docs/publication.md)."""
