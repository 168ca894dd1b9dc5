-- The demo CRM: accounts and their contacts, as a CRM application would keep them.
create table account (
    id                bigserial primary key,
    account_number    varchar(20)    not null unique,
    name              text           not null,
    credit_limit      numeric(38,10),
    status            text           not null default 'active',
    relationship_type text           not null default 'customer',
    company_id        text           not null,
    customer_since    timestamptz,
    internal_notes    text
);
create table contact (
    id             uuid primary key,
    email          text        not null unique,
    first_name     text,
    last_name      text,
    account_number varchar(20),
    phone          text,
    birthday       date,
    company_id     text        not null
);
