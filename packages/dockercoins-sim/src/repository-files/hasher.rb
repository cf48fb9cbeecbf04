# hasher: a web service that hashes what it is given. POST / answers the hex SHA-256 of the
# request body, after a tenth of a second of (pretend) work; GET / says which container
# answered. Sinatra runs on thin, which serves requests from a pool of threads, so many
# workers can be served at once.
#
# (swarm-sim runs its own model of this service: packages/dockercoins-sim/src/services/hasher.ts.)

require 'digest'
require 'sinatra'
require 'socket'

set :bind, '0.0.0.0'
set :port, 80

post '/' do
  # Pretend that hashing takes time.
  sleep 0.1
  content_type 'text/plain'
  "#{Digest::SHA2.new.update(request.body.read)}"
end

get '/' do
  "HASHER running on #{Socket.gethostname}\n"
end
