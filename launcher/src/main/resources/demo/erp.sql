-- The demo ERP: customers and contact persons, with the ERP's own names and types.
create schema sales;
create table sales.customer (
    no              varchar(22)    primary key,
    name            varchar(200)   not null,
    credit_limit    numeric(38,10),
    blocked         varchar(3)     not null default '',
    company_code    varchar(20)    not null,
    customer_since  timestamptz,
    payment_terms   varchar(10)    not null default 'NET30'
);
create table sales.contact_person (
    e_mail       varchar(200) primary key,
    given_name   varchar(100),
    surname      varchar(100),
    customer_no  varchar(22),
    phone_no     varchar(50)  not null,
    birth_date   date,
    company_code varchar(20)  not null
);
