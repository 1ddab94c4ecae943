CREATE TABLE parent (
    id uuid PRIMARY KEY,
    tenant text NOT NULL
);

CREATE TABLE parent2 (
    id uuid PRIMARY KEY,
    tenant text NOT NULL
);
