-- Each failed partition carries its own failure category (no_data | upstream | processing | timeout |
-- configuration | unknown), not only the run.
ALTER TABLE ops.partitions ADD COLUMN failure_category VARCHAR;
