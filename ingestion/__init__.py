"""Reading source deliveries by their contracts, with personal codes pseudonymised at read time."""
