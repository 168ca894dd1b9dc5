-- The demo ERP on MariaDB: the database 'sales' holds customers and contact persons.
-- modified_at is the ERP's own bookkeeping: it changes only when a row is really rewritten.
create table customer (
    no              varchar(22)    primary key,
    name            varchar(200)   not null,
    credit_limit    decimal(38,10),
    blocked         varchar(3)     not null default '',
    company_code    varchar(20)    not null,
    customer_since  timestamp(6)   null,
    payment_terms   varchar(10)    not null default 'NET30',
    modified_at     timestamp(6)   not null default current_timestamp(6) on update current_timestamp(6)
) character set utf8mb4 collate utf8mb4_bin;
create table contact_person (
    e_mail       varchar(200) primary key,
    given_name   varchar(100),
    surname      varchar(100),
    customer_no  varchar(22),
    phone_no     varchar(50)  not null,
    birth_date   date,
    company_code varchar(20)  not null
) character set utf8mb4 collate utf8mb4_bin;
