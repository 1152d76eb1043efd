module github.com/cloudfoundry-samples/pong_matcher_go

go 1.13

require (
	github.com/coopernurse/gorp v1.6.2-0.20140906144417-5d19ebd22fdc
	github.com/go-sql-driver/mysql v1.2.1-0.20140926190841-954375029540
	github.com/gorilla/context v0.0.0-20140604161150-14f550f51af5 // indirect
	github.com/gorilla/mux v0.0.0-20140926153814-e444e69cbd2e
