CREATE TABLE test (
  timestamp_wtz_wtz     timestamp with time zone,
  timestamp_wtz_tz      timestamptz,
  timestamp_wtz_plain   timestamp,
  timestamp_tz_wtz      timestamp with time zone,
  timestamp_tz_tz       timestamptz,
  timestamp_tz_plain    timestamp,
  timestamp_plain_wtz   timestamp with time zone,
  timestamp_plain_tz    timestamptz,
  timestamp_plain_plain timestamp
);
