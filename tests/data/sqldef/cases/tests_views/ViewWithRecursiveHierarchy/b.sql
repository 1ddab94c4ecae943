CREATE TABLE employees (
  employee_id int PRIMARY KEY,
  manager_id int
);
CREATE VIEW employee_hierarchy AS
WITH RECURSIVE subordinates AS (
  SELECT e.employee_id, e.manager_id, 1 AS emp_level
  FROM employees e
  WHERE e.manager_id IS NULL
  UNION ALL
  SELECT e.employee_id, e.manager_id, s.emp_level + 1
  FROM employees e
  INNER JOIN subordinates s ON s.employee_id = e.manager_id
)
SELECT employee_id, manager_id, emp_level FROM subordinates;
