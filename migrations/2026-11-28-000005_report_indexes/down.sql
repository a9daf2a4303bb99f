DROP INDEX people_high_level_talent;
DROP INDEX people_country_talents;
DROP INDEX people_country_hometown;
