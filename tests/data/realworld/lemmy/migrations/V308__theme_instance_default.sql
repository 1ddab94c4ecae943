UPDATE
    local_user
SET
    theme = 'instance'
WHERE
    theme = 'browser';

UPDATE
    local_user
SET
    theme = 'instance-compact'
WHERE
    theme = 'browser-compact';

