CREATE SEQUENCE public.user_id_seq;

CREATE SEQUENCE public.order_id_seq AS integer START WITH 1000;
