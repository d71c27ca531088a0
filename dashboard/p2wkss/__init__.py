"""P2WKSS desa binaan assessment: the scores the assessment team enters per village and part (a durable
SQLite store: what people type must survive imports), the weighted ranking from the catalogue's parts and
weights, and the printed result sheet."""
