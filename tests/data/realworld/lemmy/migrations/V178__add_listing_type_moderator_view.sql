-- Update the listing_type_enum
ALTER TYPE listing_type_enum
    ADD VALUE 'ModeratorView';

