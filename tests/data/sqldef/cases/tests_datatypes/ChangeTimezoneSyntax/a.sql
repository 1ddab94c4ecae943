CREATE TABLE test (
  timestamp_wtz_wtz     timestamp with time zone,
  timestamp_wtz_tz      timestamp with time zone,
  timestamp_wtz_plain   timestamp with time zone,
  timestamp_tz_wtz      timestamptz,
  timestamp_tz_tz       timestamptz,
  timestamp_tz_plain    timestamptz,
  timestamp_plain_wtz   timestamp,
  timestamp_plain_tz    timestamp,
  timestamp_plain_plain timestamp
);
