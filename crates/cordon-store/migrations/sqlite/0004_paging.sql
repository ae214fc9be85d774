-- The long lists page by (key, id) in that order (cordon-store/src/paging.rs):
-- these indexes let a page be read in order and stop after its rows.
CREATE INDEX orders_by_end ON orders (ends_on, id);
CREATE INDEX arrivals_by_registration ON arrivals (registered_at, id);
CREATE INDEX handovers_by_creation ON handovers (created_at, id);
