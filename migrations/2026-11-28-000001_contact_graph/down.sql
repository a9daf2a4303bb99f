DROP TABLE interaction_organizations, interaction_people, interactions, memberships,
    people, organization_hometowns, organizations, places;
