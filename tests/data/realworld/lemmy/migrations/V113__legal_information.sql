ALTER TABLE site
    ADD COLUMN legal_information text;

