ALTER TYPE modlog_kind
    ADD VALUE 'ModWarnComment';

ALTER TYPE modlog_kind
    ADD VALUE 'ModWarnPost';

