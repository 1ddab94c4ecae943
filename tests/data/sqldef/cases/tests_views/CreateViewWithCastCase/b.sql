create table hoge (amount text);
create view hoge_view as
select
  '1'::numeric as n,
  ''::text as t,
  2::bigint as i,
  amount::numeric(10,2) as amount_num
from hoge;
