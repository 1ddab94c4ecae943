-- Update the enums
ALTER TYPE sort_type_enum
    ADD VALUE 'TopHour';

ALTER TYPE sort_type_enum
    ADD VALUE 'TopSixHour';

ALTER TYPE sort_type_enum
    ADD VALUE 'TopTwelveHour';

