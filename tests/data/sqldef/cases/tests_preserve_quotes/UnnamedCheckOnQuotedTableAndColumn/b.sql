CREATE TABLE "Users" (
  id int,
  "OrderId" int CHECK ("OrderId" > 0)
);
