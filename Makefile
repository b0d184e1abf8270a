# make run    build the environment if needed, train if needed, start the bot
# make test   build the environment if needed, run every test
# make check  only the start-up checks of `make run`
# make train  only make sure a model for the current data and config exists
# make bench-nlu       our NLU pipeline against Rasa's stock Chinese one (docs/benchmarks.md)
# make bench-conversations  unseen multi-turn conversations through the whole bot, scored like a reviewer
# make bench-startup   seconds from `make run` to the first REST answer
# make bench-recommender  recommender latency, throughput and start-up on 10,000 products
# make bench-dialogue     REST turns under load, ours beside the stock `rasa init` bot
# make bench-orders       what a call to the shop's order system adds to a turn (demo order system)
# make bench-alerts       alerts: 10,000 subscriptions matched per catalog change; upload → open widget
# make bench-analytics    the retention report over 1,000,000 logged events
# make bench-console      agents' console: inbox pages over 100,000 conversations, live handoffs and replies
.PHONY: run test check train env bench-conversations bench-nlu bench-startup bench-recommender bench-dialogue bench-console bench-orders bench-alerts bench-analytics bench-privacy bench-faults bench-fuzz

env:
	@scripts/env.sh >/dev/null

run:
	@venv=$$(scripts/env.sh) && exec "$$venv/bin/python" -m bot.runtime run

check train:
	@venv=$$(scripts/env.sh) && exec "$$venv/bin/python" -m bot.runtime $@

test:
	@scripts/chromium.sh
	@scripts/haproxy.sh
	@venv=$$(scripts/env.sh) && exec "$$venv/bin/python" -m pytest $(PYTEST_ARGS)

bench-nlu:
	@venv=$$(scripts/env.sh) && exec "$$venv/bin/python" bench/nlu_benchmark.py

bench-conversations:
	@venv=$$(scripts/env.sh) && "$$venv/bin/python" -m bot.runtime train && exec "$$venv/bin/python" bench/conversation_benchmark.py $(BENCH_ARGS)

bench-startup:
	@venv=$$(scripts/env.sh) && exec "$$venv/bin/python" bench/startup.py

bench-recommender:
	@venv=$$(scripts/env.sh) && exec "$$venv/bin/python" bench/recommender_benchmark.py

bench-dialogue:
	@venv=$$(scripts/env.sh) && exec "$$venv/bin/python" bench/dialogue_load.py $(BENCH_ARGS)

bench-console:
	@venv=$$(scripts/env.sh) && exec "$$venv/bin/python" bench/console_benchmark.py

bench-orders:
	@venv=$$(scripts/env.sh) && exec "$$venv/bin/python" bench/order_system_benchmark.py

bench-alerts:
	@venv=$$(scripts/env.sh) && exec "$$venv/bin/python" bench/alerts_benchmark.py

bench-fuzz:
	@venv=$$(scripts/env.sh) && exec "$$venv/bin/python" bench/fuzz_endpoints.py $(BENCH_ARGS)

bench-faults:
	@venv=$$(scripts/env.sh) && exec "$$venv/bin/python" bench/faults_benchmark.py $(BENCH_ARGS)

bench-privacy:
	@venv=$$(scripts/env.sh) && exec "$$venv/bin/python" bench/privacy_benchmark.py $(BENCH_ARGS)

bench-analytics:
	@venv=$$(scripts/env.sh) && exec "$$venv/bin/python" bench/analytics_benchmark.py
