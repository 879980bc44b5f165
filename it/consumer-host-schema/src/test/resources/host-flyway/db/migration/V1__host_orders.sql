CREATE TABLE host_orders (id INT PRIMARY KEY, item VARCHAR(40) NOT NULL);
INSERT INTO host_orders (id, item) VALUES (1, 'first'), (2, 'second'), (3, 'third');
