-- The weight of a reported number (what it is a share or average of in the unit, such
-- as its households): a weighted_mean indicator's province figure weighs each unit's
-- number by it. Values reported before have none.
ALTER TABLE indicator_values ADD COLUMN weight DOUBLE PRECISION;
