CREATE TABLE loooooooooooooooooooooooooooooooooooooooong_table_63_characters (
  -- loooooooooooooooooooooooooooooooooooooooong_table_63_ch_a_check
  a INT NOT NULL CHECK (a > 0)
);
CREATE TABLE loooooong_table_29_characters (
  -- loooooong_table_29_characters_looong_column_27_characters_check
  looong_column_27_characters INT NOT NULL CHECK (looong_column_27_characters > 0),

  -- loooooong_table_29_characters_loooong_column_28_character_check
  loooong_column_28_characters INT NOT NULL CHECK (loooong_column_28_characters > 0),

  -- loooooong_table_29_character_looooong_column_29_character_check
  looooong_column_29_characters INT NOT NULL CHECK (looooong_column_29_characters > 0)
);
CREATE TABLE looooooong_table_30_characters (
  -- looooooong_table_30_characters_loong_column_26_characters_check
  loong_column_26_characters INT NOT NULL CHECK (loong_column_26_characters > 0),

  -- looooooong_table_30_character_looong_column_27_characters_check
  looong_column_27_characters INT NOT NULL CHECK (looong_column_27_characters > 0),

  -- looooooong_table_30_characte_loooong_column_28_characters_check
  loooong_column_28_characters INT NOT NULL CHECK (loooong_column_28_characters > 0)
);
CREATE TABLE a (
  -- a_loooooooooooooooooooooooooooooooong_column_56_character_check
  loooooooooooooooooooooooooooooooong_column_56_characters INT NOT NULL CHECK (loooooooooooooooooooooooooooooooong_column_56_characters > 0),

  -- a_looooooooooooooooooooooooooooooong_column_55_characters_check
  looooooooooooooooooooooooooooooong_column_55_characters INT NOT NULL CHECK (looooooooooooooooooooooooooooooong_column_55_characters > 0)
);
