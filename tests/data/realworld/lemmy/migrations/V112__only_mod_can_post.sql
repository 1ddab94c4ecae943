ALTER TABLE community
    ADD COLUMN posting_restricted_to_mods boolean DEFAULT FALSE;

