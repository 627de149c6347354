// Mock rows as Frames, with the seed's column names and order, ready for the CSV and SQLite
// sinks (and for tests comparing data sets).
//
//   clients:          id, nome, cpf, data_nascimento, endereco
//   transactions:     id, cliente_id, data, valor, moeda, categoria (null when absent)
//   new transactions: id, cliente_id, data, valor, moeda
//   scores:           cpf, score, renda_mensal, limite_credito, data_ultima_atualizacao
//   labeled:          id, cliente_id, data, valor, moeda, suspeita
#ifndef GYM_DATAGEN_FRAMES_H_
#define GYM_DATAGEN_FRAMES_H_

#include <vector>

#include "gym/datagen/generator.h"
#include "gym/frame/frame.h"

namespace gym {

Frame ClientsFrame(const std::vector<MockClient>& clients);
Frame TransactionsFrame(const std::vector<MockTransaction>& transactions);
// The new-transactions file layout: the transaction columns without categoria.
Frame NewTransactionsFrame(const std::vector<MockTransaction>& transactions);
Frame ScoresFrame(const std::vector<MockScore>& scores);
Frame LabeledFrame(const std::vector<LabeledTransaction>& rows);

}  // namespace gym

#endif  // GYM_DATAGEN_FRAMES_H_
