CREATE TABLE employees (
  emp_id int PRIMARY KEY,
  dept_id int
);
