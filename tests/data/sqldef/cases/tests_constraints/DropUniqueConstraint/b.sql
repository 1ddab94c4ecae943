create table dummy(
  column_a int not null,
  column_b int not null,
  column_c int not null
);
