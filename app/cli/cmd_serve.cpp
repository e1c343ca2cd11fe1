// chrysalis-cli serve: the GUI's long-lived worker, JSON lines on stdin/stdout
// (protocol in core/format/worker_protocol.h). A crash here never takes the
// GUI down: it reports the worker's exit and starts a new one.
#include "cli/commands.h"

#include "common/error.h"
#include "probes/worker.h"

#include <iostream>

namespace chrysalis::cli {

void addServeCommand(CLI::App& root, int& exitCode) {
  auto* cmd = root.add_subcommand(
      "serve", "Answer on-demand requests as JSON lines on stdin/stdout (for the GUI)");
  cmd->footer("Example:\n  echo '{\"id\":1,\"op\":\"ping\"}' | chrysalis-cli serve");
  static size_t cached = 3;
  cmd->add_option("--cached-checkpoints", cached, "Checkpoints kept loaded")->capture_default_str();
  cmd->callback([&exitCode] {
    exitCode = guarded([] {
      probes::Worker worker(cached);
      std::string line;
      while (true) {
        nlohmann::json reply;
        bool stop = false;
        try {
          // Bounded while read: an endless line costs time, never memory.
          if (!format::readWorkerRequestLine(std::cin, line)) break;
          if (line.empty()) continue;
          auto req = format::parseWorkerRequest(line);
          reply = worker.handle(req);
          stop = req.op == format::WorkerRequest::Op::Shutdown;
        } catch (const InputError& e) {
          reply = format::workerError(format::workerRequestId(line), e.what());
        }
        std::cout << reply.dump() << std::endl;
        if (stop || !std::cout) break; // nobody reads the replies any more (EPIPE)
      }
      return 0;
    });
  });
}

} // namespace chrysalis::cli
