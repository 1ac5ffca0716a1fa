-- wrk script: POST one query to the gateway
wrk.method = "POST"
wrk.body = '{"query": "load"}'
wrk.headers["Content-Type"] = "application/json"
