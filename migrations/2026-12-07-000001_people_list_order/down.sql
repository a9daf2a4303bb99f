DROP INDEX people_created;
DROP INDEX people_country_created;
