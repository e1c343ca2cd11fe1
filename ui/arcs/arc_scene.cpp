#include "arcs/arc_scene.h"

#include "sentences/probe_set_data.h"
#include "worker/attention_result.h"

namespace chrysalis::ui {

ArcScene buildArcScene(const ProbeSentence& sentence, const AttentionResult* result, int layer,
                       int head, ArcDirection direction) {
  ArcScene scene;
  scene.words = sentence.words;
  scene.gold = sentence.heads;
  scene.relations = sentence.relations;
  if (!result || result->size != sentence.size() + 2) return scene;
  if (const float* map = result->map(layer, head))
    scene.predicted = predictedParents(map, result->size, direction);
  return scene;
}

} // namespace chrysalis::ui
